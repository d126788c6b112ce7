import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/client'
import { useAuthStore } from '@/stores/auth'
import { archiveRecord, restoreRecord, type RecordRow } from './client'
import type { Kind } from './kinds'

/** Who may change a kind: admins only for yearly targets, staff and admins for the rest. */
export function useCanWrite(): (kind: Kind) => boolean {
  const auth = useAuthStore()
  return (kind) => (kind.adminOnly ? auth.isAdmin : auth.canWrite)
}

function failed(e: unknown): void {
  if (e instanceof ApiError && e.status === 412) ElMessage.error('这条记录刚被他人修改，已重新载入，请核对后再操作')
  else ElMessage.error(e instanceof Error ? e.message : String(e))
}

/** Archive (after a confirmation) and restore a row, then reload the rows shown. */
export function useRecordActions(reload: () => Promise<void> | void): { archive: (kind: Kind, row: RecordRow) => Promise<void>; restore: (kind: Kind, row: RecordRow) => Promise<void> } {
  return {
    async archive(kind, row) {
      try {
        await ElMessageBox.confirm(`归档后不再计入统计，可随时恢复。确定归档「${kind.name(row)}」？`, `归档${kind.noun}`, { confirmButtonText: '归档', cancelButtonText: '取消', type: 'warning' })
      } catch {
        return
      }
      try {
        await archiveRecord(kind.path, row)
        ElMessage.success('已归档')
      } catch (e) {
        failed(e)
      }
      await reload()
    },
    async restore(kind, row) {
      try {
        await restoreRecord(kind.path, row)
        ElMessage.success('已恢复')
      } catch (e) {
        failed(e)
      }
      await reload()
    },
  }
}
