"""E-invoices (数电发票): requests after payment, issuing through a provider, red-letter on refund, files."""
