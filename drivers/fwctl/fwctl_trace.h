/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the fwctl core.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fwctl

#if !defined(_FWCTL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FWCTL_TRACE_H

#include <linux/fwctl.h>
#include <linux/tracepoint.h>

/*
 * Room for "fwctl4095" and more. A fixed array rather than __string(): the
 * arguments of __assign_str() changed in 6.10, and this header also builds
 * against older kernels.
 */
#define FWCTL_TRACE_NAME_LEN 16

/*
 * One event per FWCTL_RPC that passed the structure checks, delivered or
 * refused: @ret is 0 for a delivered RPC or the errno returned to user
 * space, @out_len the reply length the device produced, @ns the time spent
 * in the core and the driver.
 */
TRACE_EVENT(fwctl_rpc,
	    TP_PROTO(const struct fwctl_device *fwctl, u32 scope, u32 in_len,
		     u32 out_len, int ret, u64 ns),
	    TP_ARGS(fwctl, scope, in_len, out_len, ret, ns),
	    TP_STRUCT__entry(__array(char, dev, FWCTL_TRACE_NAME_LEN)
			     __field(u32, scope)
			     __field(u32, in_len)
			     __field(u32, out_len)
			     __field(int, ret)
			     __field(u64, ns)),
	    TP_fast_assign(strscpy(__entry->dev, dev_name(&fwctl->dev),
				   sizeof(__entry->dev));
			   __entry->scope = scope;
			   __entry->in_len = in_len;
			   __entry->out_len = out_len;
			   __entry->ret = ret;
			   __entry->ns = ns;),
	    TP_printk("dev=%s scope=%u in_len=%u out_len=%u ret=%d ns=%llu",
		      __entry->dev, __entry->scope, __entry->in_len,
		      __entry->out_len, __entry->ret, __entry->ns)
);

#endif /* _FWCTL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE fwctl_trace
#include <trace/define_trace.h>
