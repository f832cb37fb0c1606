/**
 * The heartbeat client: tells the ledger what the player is doing; the ledger decides what
 * counts, by its own clock. Beats are sent one at a time, in sequence order (a beat asked for
 * while one is in flight is coalesced into the next), so the server never sees them reordered.
 * The final beat on `pagehide` goes by navigator.sendBeacon, authenticated by the token.
 */

const PRIORITY = { tick: 0, show: 1, play: 2, rate: 2, seek: 3, pause: 3, hide: 4, ended: 4, unload: 5 };

export class HeartbeatClient {
  /**
   * @param grant the ledger's SessionGrant (token, heartbeat_url, challenge_url, heartbeat_seconds)
   * @param options {csrfToken(), state() -> {position, playing, rate, visible},
   *   onReply(reply, event, sentBody), onFailure(err)}
   */
  constructor(grant, { csrfToken, state, onReply, onFailure }) {
    this.grant = grant;
    this.csrfToken = csrfToken;
    this.state = state;
    this.onReply = onReply;
    this.onFailure = onFailure;
    this.seq = 0;
    this.inFlight = false;
    this.queued = null;
    this.timer = null;
    this.stopped = false;
  }

  /** Beat every `heartbeat_seconds` while `shouldTick()` says so (i.e. while playing). */
  start(shouldTick) {
    const every = Math.max(1, Number(this.grant.heartbeat_seconds) || 30) * 1000;
    this.timer = setInterval(() => {
      if (!this.stopped && shouldTick()) {
        this.send("tick");
      }
    }, every);
  }

  stop() {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  body(event, overrides) {
    this.seq += 1;
    const state = { ...this.state(), ...(overrides || {}) };
    return {
      token: this.grant.token,
      seq: this.seq,
      position: Math.round(Number(state.position || 0) * 1000) / 1000,
      playing: Boolean(state.playing),
      rate: Number(state.rate || 1),
      visible: Boolean(state.visible),
      event,
    };
  }

  /** Queue a beat; returns a promise of the reply (or null when coalesced or stopped). */
  send(event, overrides) {
    if (this.stopped) {
      return Promise.resolve(null);
    }
    if (this.inFlight) {
      const current = this.queued;
      if (!current || PRIORITY[event] >= PRIORITY[current.event]) {
        this.queued = { event, overrides };
      }
      return Promise.resolve(null);
    }
    return this.post(event, overrides);
  }

  async post(event, overrides) {
    this.inFlight = true;
    let reply = null;
    const sent = this.body(event, overrides);
    try {
      const response = await fetch(this.grant.heartbeat_url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
        body: JSON.stringify(sent),
      });
      reply = await response.json().catch(() => ({}));
      reply.httpStatus = response.status;
      if (!this.stopped) {
        this.onReply(reply, event, sent);
      }
    } catch (error) {
      this.onFailure(error);
    } finally {
      this.inFlight = false;
    }
    const next = this.queued;
    this.queued = null;
    if (next && !this.stopped) {
      return this.post(next.event, next.overrides);
    }
    return reply;
  }

  /** Send a beat now and resolve to its reply: waits for a beat in flight instead of coalescing. */
  async sendNow(event, overrides) {
    for (let waited = 0; this.inFlight && waited < 10000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.stopped ? null : this.post(event, overrides);
  }

  /** The last beat of a page that is going away: sendBeacon survives the unload. */
  beacon(event, overrides) {
    if (this.stopped) {
      return;
    }
    const payload = JSON.stringify(this.body(event, overrides));
    const blob = new Blob([payload], { type: "application/json" });
    if (!(navigator.sendBeacon && navigator.sendBeacon(this.grant.heartbeat_url, blob))) {
      fetch(this.grant.heartbeat_url, {
        method: "POST", keepalive: true, credentials: "same-origin", body: payload,
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
      }).catch(() => {});
    }
  }

  /** Answer the anti-idle challenge with the code read in its picture. Resolves to the server's reply. */
  async answerChallenge(challengeId, code) {
    const response = await fetch(this.grant.challenge_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
      body: JSON.stringify({ token: this.grant.token, challenge_id: challengeId, code }),
    });
    const reply = await response.json().catch(() => ({}));
    reply.httpStatus = response.status;
    return reply;
  }
}
