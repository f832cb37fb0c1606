/**
 * Courtesy between tabs of one browser: when one player starts, the others pause at once
 * (BroadcastChannel). The server's lease is what really decides; this just avoids two videos
 * sounding together until the losing tab's next heartbeat.
 */
const CHANNEL = "xueshi-video";

export class TabCourtesy {
  constructor(onOtherPlaying) {
    this.id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    this.onOtherPlaying = onOtherPlaying;
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    if (this.channel) {
      this.channel.onmessage = (event) => {
        const data = event.data || {};
        if (data.type === "playing" && data.from !== this.id) {
          this.onOtherPlaying(data);
        }
      };
    }
  }

  announcePlaying(blockId) {
    if (this.channel) {
      this.channel.postMessage({ type: "playing", from: this.id, block: blockId });
    }
  }
}
