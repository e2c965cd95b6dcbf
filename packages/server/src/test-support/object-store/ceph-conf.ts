/**
 * Pure: the `ceph.conf` of a throw-away single-node cluster (one monitor, one memstore OSD, one
 * RADOS Gateway) that keeps every file it writes under one directory. The keys are the recipe in
 * /work/shared/TOOLCHAIN.md ("A real S3 store"), verified on Debian 12's Ceph 16 (pacific).
 */

/** Where the cluster lives and which loopback ports it listens on. */
export interface CephLayout {
  /** Absolute directory holding the config, data, logs, pid files and admin sockets. */
  dir: string;
  /** Cluster id, a UUID. */
  fsid: string;
  /** Monitor's msgr2 port. */
  monV2Port: number;
  /** Monitor's legacy msgr1 port. */
  monV1Port: number;
  /** Port of the gateway's S3 HTTP endpoint. */
  rgwPort: number;
}

/** Id of the single monitor (`mon.a`). */
export const MON_ID = "a";
/** Ceph entity name of the gateway; its section in `ceph.conf` is `[client.rgw]`. */
export const RGW_NAME = "client.rgw";

/** The monitor's address vector, as `monmaptool --addv` and `mon host` spell it. */
export function monitorAddresses(layout: CephLayout): string {
  return `[v2:127.0.0.1:${layout.monV2Port},v1:127.0.0.1:${layout.monV1Port}]`;
}

/** Path of the config file inside the layout's directory. */
export function confPath(layout: Pick<CephLayout, "dir">): string {
  return `${layout.dir}/ceph.conf`;
}

/** Path of the log file a daemon or tool writes (`name` like `mon.a`, `osd.0`, `client.rgw`). */
export function logPath(layout: Pick<CephLayout, "dir">, name: string): string {
  return `${layout.dir}/log/${name}.log`;
}

/** Path of the pid file a daemon writes once it runs in the background. */
export function pidPath(layout: Pick<CephLayout, "dir">, name: string): string {
  return `${layout.dir}/run/${name}.pid`;
}

/** Renders `ceph.conf` for `layout`. */
export function renderCephConf(layout: CephLayout): string {
  const { dir } = layout;
  // `$cluster`, `$name` and `$id` are Ceph's own metavariables, expanded per daemon.
  return `[global]
fsid = ${layout.fsid}
mon host = ${monitorAddresses(layout)}
public addr = 127.0.0.1
# Loopback-only test cluster: no cephx keys to create or distribute.
auth cluster required = none
auth service required = none
auth client required = none
run dir = ${dir}/run
admin socket = ${dir}/run/$cluster-$name.asok
pid file = ${dir}/run/$name.pid
log file = ${dir}/log/$name.log
mon cluster log file = ${dir}/log/cluster.log
crash dir = ${dir}/crash
mon data = ${dir}/mon/$cluster-$id
osd data = ${dir}/osd/$cluster-$id
# Objects live in the OSD's memory: nothing to format, nothing left on disk.
osd objectstore = memstore
memstore device bytes = 4294967296
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail crit = 0
# The gateway creates six pools on first start, each one osdmap change; the monitor batches
# changes for paxos propose interval (1 s by default), which made start take ~13 s, ~3 s with this.
paxos propose interval = 0.05

[${RGW_NAME}]
# With auth off, the default "secure" mode fails with -13 and radosgw hangs for ~300 s.
ms mon client mode = crc
rgw frontends = beast endpoint=127.0.0.1:${layout.rgwPort}
`;
}
