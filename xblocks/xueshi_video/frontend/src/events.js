/**
 * Open edX video events (play_video, pause_video, seek_video, ...) sent to the block's
 * `track_event` handler, which whitelists and sanitises them before `runtime.publish`.
 * Analytics only: nothing here affects credit or completion.
 */
export class EventReporter {
  constructor(url, csrfToken, code) {
    this.url = url;
    this.csrfToken = csrfToken;
    this.code = code;
  }

  emit(name, data) {
    if (!this.url) {
      return;
    }
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
      body: JSON.stringify({ name, data: { code: this.code, ...(data || {}) } }),
    }).catch(() => {});
  }
}
