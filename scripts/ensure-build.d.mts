/** Types of ensure-build.mjs for the TypeScript that imports it (tests). */
export function buildInputFiles(): string[];
export function ensureBuild(options?: { force?: boolean }): Promise<void>;
