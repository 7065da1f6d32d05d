/*
 * The provisioning state, as held in the U-Boot environment (variables in
 * uboot-env/README.md). Every transition is one whole-environment write.
 *
 *   unprovisioned --(verified install, staged config)--> trial
 *   trial --(sztpboot confirm in the new system)--> provisioned
 *   trial --(reset with no attempts left)--> previous slot: provisioned,
 *                                            or unprovisioned if none
 */
#ifndef SZTP_DEVICE_STATE_H
#define SZTP_DEVICE_STATE_H

#include "sztp.h"
#include "uboot_env.h"

enum provisioning_state { STATE_UNPROVISIONED, STATE_TRIAL, STATE_PROVISIONED };

#define SLOT_NONE (-1)
#define CONFIG_NONE (-1L)

struct device_state {
	int enabled;                        /* sztp_enabled (R2) */
	enum provisioning_state state;
	int active_slot;                    /* 0 = a, 1 = b, SLOT_NONE */
	int trial_slot;
	unsigned trial_attempts;
	long config_active, config_trial;   /* generation, or CONFIG_NONE */
	char os_name[2][128], os_version[2][128];
	unsigned failures;
};

/* Parse the variables; anything malformed is an error (fail closed). */
int device_state_read(const struct uboot_env *env, struct device_state *s, struct errbuf *e);
/* Put s into env (in memory); the caller stores the environment once. */
int device_state_write(const struct device_state *s, struct uboot_env *env, struct errbuf *e);
const char *device_state_name(enum provisioning_state s);
static inline char slot_letter(int slot)
{
	return slot == 0 ? 'a' : slot == 1 ? 'b' : '-';
}

#endif
