// Version 4: Order.status changes type, from free text to an enum.
import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const Customer = defineModel('Customer', {
  table: 'customers',
  shape: {
    id: z.number().int(),
    firstName: z.string().max(60),
    lastName: z.string().max(60),
    email: z.string().max(200),
  },
});

export const Order = defineModel('Order', {
  table: 'orders',
  shape: {
    id: z.number().int(),
    customerId: z.number().int(),
    amount: z.number().meta({ renamedFrom: 'total' }),
    status: z.enum(['pending', 'paid', 'shipped', 'cancelled']),
  },
  foreignKeys: [
    { fields: ['customerId'], references: { model: 'Customer', fields: ['id'] }, onDelete: 'cascade' },
  ],
});

export const Event = defineModel('Event', {
  target: 'document',
  table: 'events',
  shape: {
    _id: z.string(),
    type: z.string(),
    at: z.string(),
    payload: z.object({ customerId: z.number().int(), note: z.string() }),
  },
});

export default defineSchema([Customer, Order, Event]);
