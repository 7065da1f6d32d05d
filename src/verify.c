/* sztpboot verify: placeholder until the trust engine lands. */
#include "sztp.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sztp_err("verify: not implemented yet");
	return SZTP_EXIT_USAGE;
}
