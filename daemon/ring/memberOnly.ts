// Requests only a ring member can answer. A peer that has not joined (it is starting, or it
// restarted and is joining again) has no successor list: answering a lookup or a notify from
// that empty state would name itself the owner of everything and hand its empty list to
// whoever stabilizes with it. A neighbour that still remembers it (partition healing asks
// lost members, healing.ts) would then adopt it as successor with that list, and
// the ring would be cut there. Zave's invariants hold only among members; so until it has
// joined, such a request gets NOT_MEMBER, which callers treat as an unusable peer
// (protocol/errors.ts). Replica reads and writes are served: a restarted peer's store is
// still a copy.
import { MessageType } from '../../protocol/chord.js'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import type { HandlerMap } from '../rpc/server.js'

/** Ring structure, lookups, owner operations and client operations: a member's to answer. */
export const MEMBER_ONLY: readonly MessageType[] = [
  MessageType.GET_NEIGHBORS, MessageType.NOTIFY, MessageType.NEIGHBORS_CHANGED, MessageType.FIND_SUCCESSOR, MessageType.NEXT_HOP,
  MessageType.STORE_PUT, MessageType.STORE_GET, MessageType.STORE_DELETE,
  MessageType.CLIENT_LOOKUP, MessageType.CLIENT_PUT, MessageType.CLIENT_GET, MessageType.CLIENT_DELETE
]

/** `handlers` with every MEMBER_ONLY one refusing while `isMember()` is false; `refused` counts those refusals. */
export function memberOnly (handlers: HandlerMap, isMember: () => boolean, refused: () => void): HandlerMap {
  const out: HandlerMap = { ...handlers }
  for (const type of MEMBER_ONLY) {
    const h = handlers[type as keyof HandlerMap] as ((req: unknown, ctx: unknown) => Promise<unknown>) | undefined
    if (h == null) continue
    const gated = async (req: unknown, ctx: unknown): Promise<unknown> => {
      if (!isMember()) {
        refused()
        throw new ChordError(ErrorCode.NOT_MEMBER, 'this peer has not joined the ring (yet): it answers no lookups, notifies or key operations')
      }
      return await h(req, ctx)
    }
    ;(out as Record<string, unknown>)[type] = gated
  }
  return out
}
