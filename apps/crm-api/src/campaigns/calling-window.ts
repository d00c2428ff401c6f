// The rule is shared with the dialer, which selects leads by it; it lives in @app/domain.
export { isWithinCallingWindow } from '@app/domain';
