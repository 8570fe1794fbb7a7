// The become methods sparkbook has: sudo only, whether asked by --become-method or ansible.cfg.
import { InputError } from '../errors.js';

/** The one become method sparkbook has (runner/connection/become.ts). */
export function checkBecomeMethod(method: string | undefined, where: string): void {
  if (method === undefined || method === 'sudo') return;
  throw new InputError('usage', `${where} ${method} is not supported: sparkbook becomes with sudo only`);
}
