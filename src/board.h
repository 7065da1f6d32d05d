/*
 * The board contract: what sztpboot needs to know about the device it runs
 * on (board/<name>/board.conf, installed as /etc/sztpboot/board.conf).
 */
#ifndef SZTP_BOARD_H
#define SZTP_BOARD_H

#include "sztp.h"

#define BOARD_DEFAULT_PATH "/etc/sztpboot/board.conf"
#define BOARD_PATH_MAX 256
#define BOARD_SERIAL_FILES_MAX 4
#define BOARD_LIST_MAX 4           /* lines of a repeatable key */

struct board {
	char manufacturer[64];
	/* serial-file, once per source, in order: the first that exists and
	 * is non-empty gives the serial number. */
	char serial_file[BOARD_SERIAL_FILES_MAX][BOARD_PATH_MAX];
	unsigned nserial_files;
	char idevid_cert[BOARD_PATH_MAX];
	char idevid_key[BOARD_PATH_MAX];
	char voucher_ta[BOARD_PATH_MAX];
	char fw_env_config[BOARD_PATH_MAX];
	char slot[2][BOARD_PATH_MAX];        /* slot a, slot b */
	char data[BOARD_PATH_MAX];
	char data_fstype[16];
	char sources[64];
	unsigned rounds_before_boot;         /* 0: loop forever */
	unsigned retry_delay, retry_delay_max;
	unsigned trial_attempts;
	char run_dir[BOARD_PATH_MAX];        /* mount points and scratch */
	/* Network sources (RFC 8572 4.2-4.4). */
	char bootstrap_server[BOARD_LIST_MAX][BOARD_PATH_MAX]; /* well-known servers, https://host[:port] */
	unsigned nbootstrap_servers;
	char bootstrap_server_ta[BOARD_PATH_MAX]; /* their trust anchors (PEM), baked in (R73) */
	char hw_model[64];                   /* get-bootstrapping-data hw-model (R80) */
	char network_interfaces[128];        /* brought up by the initramfs (read by /init) */
	char net_dir[BOARD_PATH_MAX];        /* DHCP lease files written by the udhcpc script */
	unsigned net_timeout;                /* seconds per connection step */
	unsigned redirect_depth_max;         /* nested redirects (R28, R29: at most 10) */
	/* What bootstrap-complete carries (R164), as seen by the new system. */
	char ssh_host_key[BOARD_LIST_MAX][BOARD_PATH_MAX];    /* OpenSSH public key files */
	unsigned nssh_host_keys;
	char trust_anchor_cert[BOARD_LIST_MAX][BOARD_PATH_MAX]; /* DER CMS certs-only files */
	unsigned ntrust_anchor_certs;
};

int board_load(const char *path, struct board *b, struct errbuf *e);
int board_parse(const char *text, size_t len, struct board *b, struct errbuf *e);

#endif
