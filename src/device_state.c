/* See device_state.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_state.h"

static const char *const state_names[] = { "unprovisioned", "trial", "provisioned" };

const char *device_state_name(enum provisioning_state s)
{
	return state_names[s];
}

static int get_slot(const struct uboot_env *env, const char *name, int none_ok, int *slot,
		    struct errbuf *e)
{
	const char *v = uboot_env_get(env, name);

	if (!v || !strcmp(v, "none")) {
		if (!none_ok)
			return errf(e, "environment: %s is not set", name);
		*slot = SLOT_NONE;
	} else if (!strcmp(v, "a") || !strcmp(v, "b")) {
		*slot = v[0] - 'a';
	} else {
		return errf(e, "environment: %s=`%s' is not a slot (a, b, none)", name, v);
	}
	return 0;
}

static int get_num(const struct uboot_env *env, const char *name, long none, long *out,
		   struct errbuf *e)
{
	const char *v = uboot_env_get(env, name);
	char *end;

	if (!v || !strcmp(v, "none")) {
		*out = none;
		return 0;
	}
	*out = strtol(v, &end, 10);
	if (!*v || *end || *out < 0 || *out > 1000000)
		return errf(e, "environment: %s=`%s' is not a number", name, v);
	return 0;
}

int device_state_read(const struct uboot_env *env, struct device_state *s, struct errbuf *e)
{
	const char *v;
	long n;

	memset(s, 0, sizeof(*s));
	v = uboot_env_get(env, "sztp_enabled");
	s->enabled = !v || strcmp(v, "0"); /* R3: on unless switched off */
	v = uboot_env_get(env, "sztp_state");
	if (!v || !strcmp(v, "unprovisioned"))
		s->state = STATE_UNPROVISIONED;
	else if (!strcmp(v, "trial"))
		s->state = STATE_TRIAL;
	else if (!strcmp(v, "provisioned"))
		s->state = STATE_PROVISIONED;
	else
		return errf(e, "environment: sztp_state=`%s' is not a state", v);
	if (get_slot(env, "sztp_active_slot", 1, &s->active_slot, e) < 0 ||
	    get_num(env, "sztp_config_active", CONFIG_NONE, &s->config_active, e) < 0 ||
	    get_num(env, "sztp_failures", 0, &n, e) < 0)
		return -1;
	s->failures = (unsigned)n;
	s->trial_slot = SLOT_NONE;
	s->config_trial = CONFIG_NONE;
	if (s->state == STATE_TRIAL) {
		if (get_slot(env, "sztp_trial_slot", 0, &s->trial_slot, e) < 0 ||
		    get_num(env, "sztp_trial_attempts", 0, &n, e) < 0 ||
		    get_num(env, "sztp_config_trial", CONFIG_NONE, &s->config_trial, e) < 0)
			return -1;
		s->trial_attempts = (unsigned)n;
	}
	if (s->state == STATE_PROVISIONED && s->active_slot == SLOT_NONE)
		return errf(e, "environment: provisioned, but sztp_active_slot is none");
	for (int i = 0; i < 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "sztp_slot_%c_os_name", 'a' + i);
		v = uboot_env_get(env, name);
		snprintf(s->os_name[i], sizeof(s->os_name[i]), "%s", v ? v : "");
		snprintf(name, sizeof(name), "sztp_slot_%c_os_version", 'a' + i);
		v = uboot_env_get(env, name);
		snprintf(s->os_version[i], sizeof(s->os_version[i]), "%s", v ? v : "");
	}
	return 0;
}

int device_state_write(const struct device_state *s, struct uboot_env *env, struct errbuf *e)
{
	char buf[32], slot[2] = { 0, 0 };
	int r = 0;

	r |= uboot_env_set(env, "sztp_enabled", s->enabled ? "1" : "0");
	r |= uboot_env_set(env, "sztp_state", state_names[s->state]);
	slot[0] = slot_letter(s->active_slot);
	r |= uboot_env_set(env, "sztp_active_slot", s->active_slot == SLOT_NONE ? "none" : slot);
	if (s->config_active == CONFIG_NONE)
		snprintf(buf, sizeof(buf), "none");
	else
		snprintf(buf, sizeof(buf), "%ld", s->config_active);
	r |= uboot_env_set(env, "sztp_config_active", buf);
	if (s->state == STATE_TRIAL) {
		slot[0] = slot_letter(s->trial_slot);
		r |= uboot_env_set(env, "sztp_trial_slot", slot);
		snprintf(buf, sizeof(buf), "%u", s->trial_attempts);
		r |= uboot_env_set(env, "sztp_trial_attempts", buf);
		if (s->config_trial == CONFIG_NONE)
			snprintf(buf, sizeof(buf), "none");
		else
			snprintf(buf, sizeof(buf), "%ld", s->config_trial);
		r |= uboot_env_set(env, "sztp_config_trial", buf);
	} else {
		r |= uboot_env_set(env, "sztp_trial_slot", NULL);
		r |= uboot_env_set(env, "sztp_trial_attempts", NULL);
		r |= uboot_env_set(env, "sztp_config_trial", NULL);
	}
	snprintf(buf, sizeof(buf), "%u", s->failures);
	r |= uboot_env_set(env, "sztp_failures", buf);
	for (int i = 0; i < 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "sztp_slot_%c_os_name", 'a' + i);
		r |= uboot_env_set(env, name, s->os_name[i][0] ? s->os_name[i] : NULL);
		snprintf(name, sizeof(name), "sztp_slot_%c_os_version", 'a' + i);
		r |= uboot_env_set(env, name, s->os_version[i][0] ? s->os_version[i] : NULL);
	}
	return r ? errf(e, "environment full") : 0;
}
