/**
 * The live lesson page: `window.XueshiLiveBlock(runtime, element, args)`.
 *
 * It reuses the video player's modules (no copies): the ledger session and heartbeats
 * (`session.js`), the "still there?" modal (`challenge.js`) and hls.js attachment (`source.js`).
 * The ledger ignores positions in a live session (ADR 0351), so beats carry only playing/visible;
 * the server's clock and the stream's on-air intervals decide what is credited.
 * Built by the video block's front end (`npm run build` there) into `public/js/dist/live.js`.
 */
import { ChallengeModal } from "../../../xueshi_video/frontend/src/challenge.js";
import { onH5Boot } from "../../../xueshi_video/frontend/src/h5.js";
import { gettext, interpolate } from "../../../xueshi_video/frontend/src/i18n.js";
import { Session } from "../../../xueshi_video/frontend/src/session.js";
import { attachSource } from "../../../xueshi_video/frontend/src/source.js";

const POLL_MS = 5000;

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

class LivePage {
  constructor(runtime, element, args) {
    this.args = args;
    this.root = element.querySelector(".xueshi-live");
    this.phaseText = this.root.querySelector(".xl-phase");
    this.stage = this.root.querySelector(".xl-stage");
    this.video = this.root.querySelector(".xl-video");
    this.join = this.root.querySelector(".xl-join");
    this.stats = this.root.querySelector(".xl-stats");
    this.notice = this.root.querySelector(".xl-notice");
    this.url = (name) => runtime.handlerUrl(element, name);
    const csrf = () => (runtime.csrfToken ? runtime.csrfToken() : "");
    this.csrf = csrf;
    this.modal = new ChallengeModal(this.root);
    this.session = new Session({
      urls: { open_session: this.url("open_live"), sync_progress: this.url("live_progress") },
      csrfToken: csrf,
      client: args.client === "h5" ? "h5" : "web",
      state: () => ({
        position: 0,
        playing: Boolean(this.video && !this.video.paused),
        rate: 1,
        visible: document.visibilityState === "visible",
      }),
      onReply: (reply) => this.onReply(reply),
      onFailure: () => this.say(gettext("Connection problem: attendance is not being counted right now.")),
    });
    this.skew = 0;
    this.status = args.status || { phase: "none" };
  }

  start() {
    if (!this.video) {
      return;
    }
    this.apply(this.status);
    this.join.addEventListener("click", () => this.attend());
    this.video.addEventListener("play", () => this.session.beat("play"));
    this.video.addEventListener("pause", () => {
      this.session.beat("pause");
      if (this.status.phase === "on_air") {
        this.join.hidden = false;
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        this.session.beat("hide", { visible: false });
        this.video.pause();
      } else {
        this.session.beat("show", { visible: true });
      }
    });
    window.addEventListener("pagehide", () => this.session.beacon("unload"));
    this.timer = setInterval(() => this.tick(), 1000);
    this.poller = setInterval(() => this.poll(), POLL_MS);
  }

  now() {
    return Date.now() / 1000 + this.skew;
  }

  apply(status) {
    this.status = status;
    if (status.server_time) {
      this.skew = status.server_time - Date.now() / 1000;
    }
    this.root.dataset.phase = status.phase;
    if (status.phase === "replay" && this.args.status.phase !== "replay") {
      window.location.reload(); // the recording is ready: the page becomes its guarded player
      return;
    }
    this.join.hidden = !(status.phase === "on_air" && this.video.paused);
    this.tick();
  }

  tick() {
    const s = this.status;
    let text = "";
    if (s.phase === "before") {
      text = interpolate(gettext("The live lesson starts in {left}."), { left: clock(s.starts_at - this.now()) });
    } else if (s.phase === "paused") {
      text = gettext("The lesson time has begun; waiting for the teacher to start the broadcast…");
    } else if (s.phase === "on_air") {
      text = gettext("On air: join to have your attendance counted.");
    } else if (s.phase === "after") {
      text = gettext("The live lesson is over. Its recording will appear here once it is ready.");
    }
    if (this.phaseText.textContent !== text) {
      this.phaseText.textContent = text;
    }
  }

  async poll() {
    try {
      const response = await fetch(this.url("live_status"), {
        method: "POST", credentials: "same-origin", body: "{}",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf() },
      });
      if (response.ok) {
        this.apply(await response.json());
      }
    } catch (error) {
      return;
    }
    if (this.session.active) {
      this.progress();
      if (!this.status.on_air) {
        this.say(gettext("The broadcast has paused. Attendance resumes when it is back on air."));
      }
    }
  }

  async progress() {
    const result = await this.session.progress().catch(() => null);
    if (result && result.ok) {
      const minutes = (s) => Math.floor(Number(s || 0) / 60);
      this.stats.textContent = interpolate(gettext("Attended {attended} of {aired} minutes on air"),
        { attended: minutes(result.data.attended_seconds), aired: minutes(result.data.aired_seconds) });
      this.root.dataset.attended = String(result.data.attended_seconds);
    }
  }

  async attend() {
    this.join.hidden = true;
    if (!this.session.active) {
      const result = await this.session.open(() => !this.video.paused && document.visibilityState === "visible");
      if (!result.ok) {
        this.say(result.data.message || gettext("Playback could not start. Please reload the page."));
        this.join.hidden = false;
        return;
      }
      this.stage.hidden = false;
      this.source = attachSource(this.video, result.data.sources);
    }
    this.say("");
    this.video.play().catch(() => { this.join.hidden = false; });
  }

  onReply(reply) {
    if ((reply.httpStatus >= 400 && !("accepted" in reply)) || reply.stop || reply.lease === "lost") {
      this.session.close();
      this.video.pause();
      this.say(reply.message || gettext("Playback continued on another page or device, so it stopped here."));
      return;
    }
    if (reply.challenge) {
      this.video.pause();
      this.modal.show(reply.challenge, (id, code) => this.session.answer(id, code).then((answer) => {
        if (answer && answer.answered) {
          this.video.play().catch(() => {});
        }
        return answer;
      }));
      return;
    }
    this.say(reply.accepted === false ? reply.message || "" : "");
  }

  say(message) {
    this.notice.textContent = message || "";
  }
}

window.XueshiLiveBlock = function XueshiLiveBlock(runtime, element, args) {
  const root = element.querySelector(".xueshi-live");
  if (!root || root.dataset.initialized) {
    return;
  }
  root.dataset.initialized = "true";
  const page = new LivePage(runtime, element, args || {});
  page.start();
  element.xueshiLive = page; // for debugging and the browser tests
};

// The block's H5 page (its ``h5`` handler) boots the same page with ``client: "h5"`` in its args.
onH5Boot((runtime, element, args) => window.XueshiLiveBlock(runtime, element, args));
