/* N-body simulation: double-precision arithmetic and sqrt. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 5
struct body { double x, y, z, vx, vy, vz, m; };

static struct body bodies[N] = {
    {0, 0, 0, 0, 0, 0, 39.47841760435743},
    {4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
     0.606326392995832, 2.81198684491626, -0.02521836165988763, 0.03769367487038949},
    {8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
     -1.0107743461787924, 1.8256623712304119, 0.008415761376584154, 0.011286326131968767},
    {12.8943695621391310, -15.1111514016986312, -0.223307578892655734,
     1.0827910064415354, 0.8687130181696082, -0.010832637401363636, 0.0017237240570597112},
    {15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
     0.979090732243898, 0.5946989986476762, -0.034755955504078104, 0.0020336868699246304},
};

static double energy(void) {
    double e = 0;
    for (int i = 0; i < N; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < N; j++) {
            double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
            e -= b->m * bodies[j].m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

int main(int argc, char **argv) {
    long steps = argc > 1 ? atol(argv[1]) : 10000000;
    printf("%.9f\n", energy());
    for (long s = 0; s < steps; s++) {
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++) {
                double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y,
                       dz = bodies[i].z - bodies[j].z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = 0.01 / (d2 * sqrt(d2));
                bodies[i].vx -= dx * bodies[j].m * mag;
                bodies[i].vy -= dy * bodies[j].m * mag;
                bodies[i].vz -= dz * bodies[j].m * mag;
                bodies[j].vx += dx * bodies[i].m * mag;
                bodies[j].vy += dy * bodies[i].m * mag;
                bodies[j].vz += dz * bodies[i].m * mag;
            }
        for (int i = 0; i < N; i++) {
            bodies[i].x += 0.01 * bodies[i].vx;
            bodies[i].y += 0.01 * bodies[i].vy;
            bodies[i].z += 0.01 * bodies[i].vz;
        }
    }
    printf("%.9f\n", energy());
    return 0;
}
