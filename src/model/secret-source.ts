/** Where a credential's password comes from. A literal password is never accepted. */
export type SecretSource = { fromEnv: string } | { fromFile: string };
