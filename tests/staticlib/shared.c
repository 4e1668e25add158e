/* A shared library that contains the `basic` library (PIC code). */
#define NO_MAIN
#include "basic_app.c"
