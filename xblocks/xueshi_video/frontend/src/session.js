/**
 * The learner's playback session as the page sees it: opened with the block's `open_session`
 * handler (which takes the account's lease), kept alive by heartbeats, ended when the server
 * says so. Every number shown comes from the server's replies.
 */
import { HeartbeatClient } from "./heartbeat.js";

export class Session {
  constructor({ urls, csrfToken, state, onReply, onFailure, client }) {
    this.urls = urls;
    this.csrfToken = csrfToken;
    this.state = state;
    this.onReply = onReply;
    this.onFailure = onFailure;
    this.client = client;
    this.grant = null;
    this.beats = null;
  }

  get active() {
    return Boolean(this.beats && !this.beats.stopped);
  }

  async post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  }

  /** Read the server's progress without taking the lease (resume position, frontier). */
  progress() {
    return this.post(this.urls.sync_progress, {});
  }

  /** Take the lease and start heartbeats; resolves to {ok, data} (data = grant or error). */
  async open(shouldTick) {
    this.close();
    const result = await this.post(this.urls.open_session, { client: this.client });
    if (!result.ok) {
      return result;
    }
    this.grant = result.data;
    this.beats = new HeartbeatClient(this.grant, {
      csrfToken: this.csrfToken,
      state: this.state,
      onReply: this.onReply,
      onFailure: this.onFailure,
    });
    this.beats.start(shouldTick);
    return result;
  }

  beat(event, overrides) {
    return this.active ? this.beats.send(event, overrides) : Promise.resolve(null);
  }

  /** A beat whose reply the caller needs (e.g. before answering a checkpoint). */
  beatNow(event, overrides) {
    return this.active ? this.beats.sendNow(event, overrides) : Promise.resolve(null);
  }

  /** POST to one of the block's handlers by name. */
  handler(name, body) {
    return this.post(this.urls[name], body);
  }

  beacon(event) {
    if (this.active) {
      this.beats.beacon(event);
    }
  }

  /** Answer the anti-idle challenge; resolves to the server's reply (`answered`, or an error and maybe a new challenge). */
  async answer(challengeId, code) {
    if (!this.active) {
      return null;
    }
    return this.beats.answerChallenge(challengeId, code);
  }

  close() {
    if (this.beats) {
      this.beats.stop();
    }
    this.beats = null;
  }
}
