// cairo (Debian's libcairo2-dev): 2D drawing with anti-aliasing and real fonts, to PNG and SVG surfaces.
#include <cairo.h>
#include <cairo-svg.h>
