"""Course media: uploads, HLS transcoding, session-bound delivery and the segment fetch log."""
