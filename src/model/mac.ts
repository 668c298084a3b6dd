/** MACs in one notation: upper case hex, no separators (`00-15-5d-01-02-03`, `00:15:5D:01:02:03` -> `00155D010203`). */
export function normaliseMac(mac: string): string {
  return mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
