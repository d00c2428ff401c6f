import { Principal } from './principal';
import { Permission } from './permission.enum';

/**
 * Per-record rules: of the given ids, which may this principal act on under this permission?
 * Implementations answer per permission; a permission they do not know allows nothing.
 */
export abstract class AccessRepository {
  abstract allowedIds(principal: Principal, permission: Permission, ids: readonly string[]): Promise<Set<string>>;
}
