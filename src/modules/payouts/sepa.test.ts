import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from 'xmlbuilder2';
import { neutralize } from '../../core/csv.ts';
import { paymentCsv } from './payment-csv.ts';
import { sepaText, sepaXml } from './sepa.ts';
import { validIban } from '../../core/banking.ts';

type Node = Record<string, unknown>;

describe('SEPA text and files', () => {
  it('names are restricted to the SEPA Latin character set and cut at the limit', () => {
    assert.equal(sepaText('Müller & Söhne', 70), 'Muller + Sohne');
    assert.equal(sepaText('Straße Øresund Æble', 70), 'Strasse Oresund AEble');
    assert.equal(sepaText('Café "Zürich" <b>№1</b>', 70), "Cafe 'Zurich' b 1 /b");
    assert.equal(sepaText('株式会社 Tokyo', 70), 'Tokyo');
    assert.equal(sepaText('A'.repeat(100), 70).length, 70);
  });

  it('the file adds up exactly (no floats) and the remittance text stays within 140 characters', () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `INVOICE-${1000 + i}`);
    const xml = sepaXml({
      reference: 'PO-20261123-7F3A',
      createdAt: new Date('2026-11-23T10:00:00Z'),
      executionDate: '2026-11-24',
      debtor: { name: 'Acme & Co', iban: 'DE02120300000000202051', bic: null },
      transfers: [
        {
          vendorName: 'One',
          iban: 'DE89370400440532013000',
          bic: 'COBADEFFXXX',
          amountMinor: '10',
          invoiceNumbers: numbers,
        },
        {
          vendorName: 'Two',
          iban: 'FR1420041010050500013M02606',
          bic: null,
          amountMinor: '99999999999920',
          invoiceNumbers: ['A-1'],
        },
      ],
    });
    const init = ((convert(xml, { format: 'object' }) as Node).Document as Node).CstmrCdtTrfInitn as Node;
    assert.equal((init.GrpHdr as Node).CtrlSum, '999999999999.30');
    assert.equal((init.GrpHdr as Node).CreDtTm, '2026-11-23T10:00:00');
    const inf = init.PmtInf as Node;
    assert.equal(inf.ReqdExctnDt, '2026-11-24');
    assert.equal((inf.Dbtr as Node).Nm, 'Acme + Co');
    const txs = inf.CdtTrfTxInf as Node[];
    assert.equal(((txs[0]!.Amt as Node).InstdAmt as Node)['#'], '0.10');
    assert.ok(((txs[0]!.RmtInf as Node).Ustrd as string).length <= 140);
    assert.equal(txs[1]!.CdtrAgt, undefined, 'no BIC: no creditor agent');
    assert.equal((txs[1]!.PmtId as Node).EndToEndId, 'PO-20261123-7F3A-2');
  });
});

describe('CSV payment file', () => {
  it('neutralizes cells a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+49 30', '-2', '@SUM(A1)', '\t=1']) assert.equal(neutralize(bad), `'${bad}`);
    assert.equal(neutralize('Plain'), 'Plain');
    const csv = paymentCsv({ reference: 'PO-1', currency: 'JPY', minorUnits: 0 }, [
      {
        vendorName: '=cmd|calc',
        taxId: '-1',
        account: 'X',
        bic: null,
        amountMinor: '1500',
        invoiceNumbers: ['@1', '2'],
      },
    ]);
    assert.equal(csv.split('\n')[1], "PO-1,'=cmd|calc,'-1,X,,JPY,1500,'@1 2");
  });
});

describe('IBAN check', () => {
  it('accepts valid IBANs and refuses a mistyped digit', () => {
    assert.ok(validIban('DE89370400440532013000'));
    assert.ok(validIban('FR1420041010050500013M02606'));
    assert.ok(validIban('GB29NWBK60161331926819'));
    assert.ok(!validIban('DE89370400440532013001'));
    assert.ok(!validIban('DE8937'));
  });
});
