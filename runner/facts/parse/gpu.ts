// Parses `nvidia-smi --query-gpu=name --format=csv,noheader` (one GPU name a line) and decides
// whether a host is a DGX Spark.

export function parseGpuNames(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    // nvidia-smi prints its errors on stdout ("NVIDIA-SMI has failed because ..."): not a name.
    .filter((l) => l !== '' && !/has failed|^No devices were found|^Failed to/i.test(l));
}

/**
 * The DGX Spark rule: the DMI product name says so (`NVIDIA DGX Spark`; any "DGX Spark",
 * "DGX-Spark" or "DGXSpark", case-insensitive), or a GPU is the GB10 superchip that only the
 * Spark (and its OEM twins, which run the same software stack) carries. Either sign alone is
 * enough, because the DMI name can be blank on OEM boards and nvidia-smi can be missing before
 * the driver is installed.
 */
export function isDgxSpark(productName: string | null, gpus: readonly string[]): boolean {
  if (productName !== null && /DGX.?Spark/i.test(productName)) return true;
  return gpus.some((name) => /\bGB10\b/i.test(name));
}
