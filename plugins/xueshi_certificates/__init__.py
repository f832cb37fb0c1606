"""Certificates: serials, PDFs, signed credentials, revocation and public verification."""
