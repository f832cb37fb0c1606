/**
 * Follow the ledger's position. Every heartbeat reply carries the position the server kept; the
 * API asks the player to move there when it differs by more than a couple of seconds.
 *
 * The ledger credits at most the server time between two beats' arrivals, so a beat that waited
 * in a queue (a stalled server, a slow network) is clipped: the server keeps an earlier position
 * than the one reported. A player that stays ahead is then a few seconds past what the server
 * allows on every following tick, and each tick is refused as a skip until the learner seeks back.
 * Moving back to the kept position makes the next tick line up again; the learner re-watches a
 * few seconds. The ledger never keeps a position ahead of the reported one, so only a step back
 * is followed.
 */

export const RESYNC_TOLERANCE = 2; // seconds: "a couple of seconds" in the API

/** The position to move the player to after a reply to a beat that reported `sentPosition`, or null. */
export function resyncTarget(sentPosition, reply, tolerance = RESYNC_TOLERANCE) {
  if (!reply || reply.stop || reply.accepted === undefined) {
    return null;
  }
  const kept = Number(reply.position);
  const sent = Number(sentPosition);
  if (!Number.isFinite(kept) || !Number.isFinite(sent) || kept < 0) {
    return null;
  }
  return kept < sent - tolerance ? kept : null;
}
