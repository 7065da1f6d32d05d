/*
 * One device, as the provisioning commands see it: its board, its
 * environment and state, its identity and trust anchors, its data
 * partition. Shared by run, status and confirm.
 */
#ifndef SZTP_DEVICE_H
#define SZTP_DEVICE_H

#include "board.h"
#include "device_identity.h"
#include "device_state.h"
#include "fw_env_config.h"
#include "ownership_voucher.h"
#include "uboot_env.h"

struct device {
	struct board board;
	struct fw_env_config envcfg;
	struct uboot_env env;
	struct device_state st;
	struct device_identity id;
	const char *serial_from;            /* the board's serial-file that gave id.serial */
	int identity_loaded;                /* device_load_identity() succeeded */
	struct x509_cert anchors[VOUCHER_MAX_ANCHORS];
	size_t nanchors;
	uint8_t *anchor_mem;
	char data_dir[300];                 /* where the data partition is mounted */
	int data_mounted;
};

/* Board, environment and state. */
int device_open(struct device *d, const char *board_path, struct errbuf *e);
/* Identity (serial from the first of the board's serial-files that exists
 * and is not empty; it must agree with the IDevID certificate) and voucher
 * trust anchors. */
int device_load_identity(struct device *d, struct errbuf *e);
/* Mount the data partition read-write at <run-dir>/data. */
int device_mount_data(struct device *d, struct errbuf *e);
/* Apply a new state: one whole-environment write. */
int device_commit_state(struct device *d, const struct device_state *next, struct errbuf *e);
/* Path of a configuration generation's directory (on the data partition). */
void device_config_dir(const struct device *d, long gen, char *buf, size_t cap);
/* Append a line to the bounded failure log on the data partition. */
void device_record_failure(struct device *d, const char *what);
/* Last failure line, or "" */
void device_last_failure(struct device *d, char *buf, size_t cap);
/* Boot a slot with a configuration generation; returns only on failure. */
int device_boot_slot(struct device *d, int slot, long config_gen, struct errbuf *e);
void device_close(struct device *d);

#endif
