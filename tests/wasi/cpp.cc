// C++ with libc++: containers, strings, algorithms, iostreams, virtual
// dispatch, templates, lambdas and static constructors. Built with
// -fno-exceptions.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};

struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};

struct Circle : Shape {
    double r;
    explicit Circle(double r) : r(r) {}
    double area() const override { return 3.0 * r * r; }
    std::string name() const override { return "circle"; }
};

template <typename T>
T sum_of_squares(const std::vector<T> &v) {
    return std::accumulate(v.begin(), v.end(), T{}, [](T acc, T x) { return acc + x * x; });
}

// A global with a constructor: runs before main.
struct Registry {
    std::vector<std::string> items;
    Registry() { items.push_back("constructed-before-main"); }
};
Registry registry;

}  // namespace

int main() {
    std::cout << "hello from C++" << std::endl;
    std::cout << registry.items.at(0) << "\n";

    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 1; i <= 5; i++) {
        shapes.push_back(std::make_unique<Rect>(i, i + 1));
        shapes.push_back(std::make_unique<Circle>(i));
    }
    std::sort(shapes.begin(), shapes.end(),
              [](const auto &a, const auto &b) { return a->area() < b->area(); });
    for (const auto &s : shapes) std::cout << s->name() << ":" << s->area() << " ";
    std::cout << "\n";

    std::vector<int> v(1000);
    std::iota(v.begin(), v.end(), 1);
    std::cout << "sum of squares: " << sum_of_squares(v) << "\n";

    std::string text = "the quick brown fox jumps over the lazy dog the end";
    std::istringstream in(text);
    std::map<std::string, int> counts;
    std::unordered_map<std::string, int> ucounts;
    for (std::string w; in >> w;) {
        counts[w]++;
        ucounts[w]++;
    }
    for (const auto &[word, n] : counts) std::cout << word << "=" << n << " ";
    std::cout << "\nunordered size " << ucounts.size() << " the=" << ucounts["the"] << "\n";

    std::ostringstream os;
    os.precision(4);
    os << std::fixed << 3.14159265 << " " << std::hex << 255 << " " << std::dec << -17;
    std::cout << os.str() << "\n";

    std::string s = "Sandboxed";
    std::reverse(s.begin(), s.end());
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    std::printf("reversed upper: %s\n", s.c_str());
    return 0;
}
