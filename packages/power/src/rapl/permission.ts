/**
 * Since Linux 5.10 (the fix for CVE-2020-8694, "Platypus": energy readings leak what a CPU
 * computes), `energy_uj` is readable by root only. The fix is the admin's call, so the
 * message lists the three ways and their cost.
 */
export function raplPermissionFix(energyPath: string): string {
  return [
    `${energyPath} is readable by root only (Linux 5.10 and later, CVE-2020-8694).`,
    "Either run as root,",
    `or let every user read it until the next boot: sudo chmod o+r ${energyPath},`,
    'or for good with a udev rule: echo \'SUBSYSTEM=="powercap", ACTION=="add|change", RUN+="/bin/chmod o+r %S%p/energy_uj"\' | sudo tee /etc/udev/rules.d/70-powercap.rules && sudo udevadm trigger --subsystem-match=powercap,',
    "or give this program the capability to read any file: sudo setcap cap_dac_read_search+ep $(readlink -f $(command -v node)).",
    "Letting users read energy counters re-opens the side channel the kernel closed: do it on machines whose users you trust.",
  ].join(" ");
}

export const RAPL_MISSING_FIX =
  "Load the RAPL driver on bare metal: sudo modprobe intel_rapl_msr (Intel, and AMD Zen from Linux 5.8). Virtual machines and most containers do not expose RAPL; a container needs /sys/class/powercap mounted from the host.";
