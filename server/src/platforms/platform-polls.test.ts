import { describe, expect, it } from 'vitest'
import type { GpdPositionState } from './gpd/gpd-handler'
import { noticeStatusOf, paidAt } from './platform-polls'
import { NOTIFICATION_STATUSES } from './send/send-status'

const position = (status: GpdPositionState['status'], option: Partial<NonNullable<GpdPositionState['option']>> = {}, paymentDate: string | null = null): GpdPositionState => ({
  iupd: '01232710374-34700000000000112',
  status,
  paymentDate,
  option: { iuv: '34700000000000112', nav: '334700000000000112', amountCents: 5000, status: 'PO_UNPAID', paymentDate: null, idReceipt: null, pspCompany: null, paymentMethod: null, ...option },
})

describe('a fee seen paid', () => {
  it('is paid when the position or its option says so, at the option’s payment date', () => {
    expect(paidAt(position('VALID'), 1)).toBeNull()
    expect(paidAt(position('PAID', { status: 'PO_PAID', paymentDate: '2026-11-27T10:00:00Z' }), 1)).toBe(Date.parse('2026-11-27T10:00:00Z'))
    expect(paidAt(position('REPORTED', {}, '2026-11-28T09:00:00Z'), 1)).toBe(Date.parse('2026-11-28T09:00:00Z'))
    expect(paidAt(position('VALID', { status: 'PO_PAID' }), 42)).toBe(42)
  })
})

describe('a notice moved on at SEND', () => {
  it('maps every notification status SEND documents to the notice’s, or to nothing to record', () => {
    const mapped = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, noticeStatusOf(s)]))
    expect(mapped).toEqual({
      IN_VALIDATION: null,
      ACCEPTED: null,
      REFUSED: 'refused',
      DELIVERING: 'delivering',
      DELIVERED: 'delivered',
      VIEWED: 'viewed',
      EFFECTIVE_DATE: 'effective',
      PAID: null,
      UNREACHABLE: 'unreachable',
      CANCELLED: 'cancelled',
      RETURNED_TO_SENDER: 'unreachable',
    })
  })
})
