"""Invoice provider adapters (Nuonuo 诺税通 today; Baiwang would sit beside it with the same calls)."""
