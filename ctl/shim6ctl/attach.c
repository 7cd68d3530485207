// SPDX-License-Identifier: GPL-2.0
/* shim6ctl attach dev DEV [ingress {tc|xdp}] [xdp-mode {native|generic}] ... */
#include "ctl/shim6ctl/cli.h"
#include "loader/loader.h"

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: shim6ctl attach dev DEV [ ingress { tc | xdp } ] [ xdp-mode { native | generic } ]\n"
		"                       [ max-contexts N ] [ no-segmentation ]\n"
		"Loads the data plane (maps pinned under the pin root, reused when present) and\n"
		"attaches it to DEV: tc egress, and tc ingress or XDP.  Default ingress: tc on veth\n"
		"(XDP costs GRO there), XDP elsewhere.  Creates the segmentation stage (%s/%s)\n"
		"that lets TCP segmentation offload work with the Shim6 header, unless\n"
		"no-segmentation.  Idempotent: attaching again replaces the programs.\n"
		"max-contexts sizes the maps when they are created (default %d).\n",
		SHIM6_SEG_DEV, SHIM6_SEG_PEER, SHIM6_DEFAULT_MAX_CTX);
	return status;
}

static int do_attach(int argc, char **argv)
{
	struct shim6_attach_opts o = {};
	uint64_t v;
	int err;

	if (argc > 0 && is_help(argv[0]))
		return usage(stdout, 0);
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "dev")) {
			NEXT_ARG("dev");
			o.ifname = argv[0];
		} else if (matches(argv[0], "ingress")) {
			NEXT_ARG("ingress");
			if (matches(argv[0], "tc"))
				o.ingress = SHIM6_INGRESS_TC;
			else if (matches(argv[0], "xdp"))
				o.ingress = SHIM6_INGRESS_XDP;
			else
				return cli_error("invalid ingress \"%s\": tc or xdp", argv[0]);
		} else if (matches(argv[0], "xdp-mode")) {
			NEXT_ARG("xdp-mode");
			if (matches(argv[0], "native"))
				o.xdp_mode = SHIM6_XDP_MODE_NATIVE;
			else if (matches(argv[0], "generic"))
				o.xdp_mode = SHIM6_XDP_MODE_GENERIC;
			else
				return cli_error("invalid xdp-mode \"%s\": native or generic", argv[0]);
		} else if (matches(argv[0], "max-contexts")) {
			NEXT_ARG("max-contexts");
			if (parse_u64("max-contexts", argv[0], 1U << 26, &v))
				return 1;
			if (v == 0)
				return cli_error("max-contexts must be at least 1");
			o.max_ctx = (uint32_t)v;
		} else if (matches(argv[0], "no-segmentation")) {
			o.no_seg = true;
		} else if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl attach help\"",
					 argv[0]);
		}
	}
	if (!o.ifname)
		return cli_error("attach needs \"dev DEV\", try \"shim6ctl attach help\"");
	if (o.xdp_mode && o.ingress == SHIM6_INGRESS_TC)
		return cli_error("xdp-mode only applies to \"ingress xdp\"");
	if (o.xdp_mode && !o.ingress)
		o.ingress = SHIM6_INGRESS_XDP;
	shim6_loader_log_init(cli.details);
	err = shim6_attach(cli.bpffs, &o);
	return err ? 1 : 0;
}

SHIM6CTL_OBJECT("attach", do_attach, "load the data plane and attach it to a device")
