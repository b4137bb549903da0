/* Stand-in for <math.h> in the libc-free 32-bit build: the kernel needs only sqrt. */
static inline double fs_sqrt(double x) { double r; __asm__("fsqrt" : "=t"(r) : "0"(x)); return r; }
#define sqrt fs_sqrt
