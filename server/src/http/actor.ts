import type { Response } from 'express'
import type { Principal } from '../identity/principal'

/** Who does something, as the audit log records it. */
export interface RequestActor {
  actor: string
  /** The roles they acted under (not `public`), comma-separated; `public` for nobody signed in. */
  actorRole: string
  requestId: string | null
}

/** The actor of a request: the signed-in principal the access guard left in res.locals, and the request id. */
export function actorOf(res: Response, who: Principal | undefined = res.locals.principal as Principal | undefined): RequestActor {
  return {
    actor: who?.username ?? 'anonymous',
    actorRole: who?.roles.filter((r) => r !== 'public').join(',') || 'public',
    requestId: typeof res.locals.requestId === 'string' ? res.locals.requestId : null,
  }
}
