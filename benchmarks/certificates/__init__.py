"""Certificate PDFs in a batch: PDFs per second per core and resident memory over N documents."""
