import { ElMessageBox } from 'element-plus';
import { i18n } from '../i18n';

/**
 * Asks before something that cannot be taken back (revoking a key, importing a year, re-arming a timer): true
 * once the person confirms with `action` (the button says what will happen), false if they cancel or close.
 */
export function confirmed(message: string, title: string, action: string): Promise<boolean> {
  return ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: action, cancelButtonText: i18n.global.t('common.cancel') }).then(
    () => true,
    () => false,
  );
}
