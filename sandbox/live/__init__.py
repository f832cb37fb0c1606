"""A live provider on loopback: signed pushes become ffmpeg HLS, signed plays checked, callbacks sent."""
