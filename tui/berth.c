/* berth.c: main(). Placeholder until the CLI lands (issue 2). */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	printf("%s\n", PACKAGE_STRING);
	return (0);
}
