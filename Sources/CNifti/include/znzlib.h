/* Forwarding header: niftilib's headers include <znzlib.h>, which Debian installs under nifti/. */
#include <nifti/znzlib.h>
