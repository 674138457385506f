import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from 'xmlbuilder2';
import { neutralize } from '../../core/csv.ts';
import { paymentCsv } from './payment-csv.ts';
import { SEPA_MAX_MINOR, sepaText, sepaXml, type SepaBatch, type SepaTransfer } from './sepa.ts';
import { validIban } from '../../core/banking.ts';
import { assertValidPain001, pain001Errors } from './pain001-schema.ts';

type Node = Record<string, unknown>;

/** The largest invoice the database takes (migration 0003: amount_minor < 10^15). */
const MAX_INVOICE_MINOR = 999_999_999_999_999n;

const IBANS = ['DE89370400440532013000', 'FR1420041010050500013M02606', 'GB29NWBK60161331926819'];

function batch(transfers: SepaTransfer[], over: Partial<SepaBatch> = {}): SepaBatch {
  return {
    reference: 'PO-20261123-7F3A',
    createdAt: new Date('2026-11-23T10:00:00Z'),
    executionDate: '2026-11-24',
    debtor: { name: 'Acme & Co', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
    transfers,
    ...over,
  };
}

function transfer(i: number, over: Partial<SepaTransfer> = {}): SepaTransfer {
  return {
    vendorName: `Vendor ${i}`,
    iban: IBANS[i % IBANS.length]!,
    bic: i % 2 ? 'COBADEFFXXX' : null,
    amountMinor: String(1_000 + i),
    invoiceNumbers: [`INV-${i}`],
    ...over,
  };
}

function transfersOf(xml: string): Node[] {
  const init = ((convert(xml, { format: 'object' }) as Node).Document as Node).CstmrCdtTrfInitn as Node;
  const txs = (init.PmtInf as Node).CdtTrfTxInf as Node | Node[];
  return Array.isArray(txs) ? txs : [txs];
}

describe('SEPA files validate against the ISO 20022 pain.001.001.03 schema (xmllint)', () => {
  it('the check itself refuses a file the schema does not allow, with xmllint’s message', async () => {
    const good = sepaXml(batch([transfer(1)]));
    await assertValidPain001(good);
    // The ISO schema allows 140 characters in a name; the EPC's SEPA rules 70, which the builder keeps.
    const longName = good.replace('<Nm>Vendor 1</Nm>', `<Nm>${'N'.repeat(141)}</Nm>`);
    assert.match((await pain001Errors(longName)) ?? '', /Nm.*maxLength/s);
    const noDate = good.replace(/<ReqdExctnDt>[^<]*<\/ReqdExctnDt>/, '');
    assert.match((await pain001Errors(noDate)) ?? '', /ReqdExctnDt/);
    const spacedIban = good.replace('<IBAN>DE02120300000000202051</IBAN>', '<IBAN>DE02 1203 0000 0000 2020 51</IBAN>');
    assert.match((await pain001Errors(spacedIban)) ?? '', /IBAN.*pattern/s);
    const tooManyDigits = good.replace(/<CtrlSum>[^<]*<\/CtrlSum>/, '<CtrlSum>10000000000000000.01</CtrlSum>');
    assert.match((await pain001Errors(tooManyDigits)) ?? '', /totalDigits/);
    await assert.rejects(assertValidPain001(longName), /does not validate against pain\.001\.001\.03\.xsd/);
  });

  it('one invoice, with and without BICs', async () => {
    await assertValidPain001(sepaXml(batch([transfer(1)])));
    await assertValidPain001(sepaXml(batch([transfer(2)], { debtor: { name: 'Acme', iban: IBANS[0]!, bic: null } })));
  });

  it('many vendors and invoices: 50 transfers, CtrlSum the exact sum', async () => {
    const transfers = Array.from({ length: 50 }, (_, i) =>
      transfer(i, { invoiceNumbers: Array.from({ length: 20 }, (_, k) => `INV-${i}-${k}`) }),
    );
    const xml = sepaXml(batch(transfers));
    await assertValidPain001(xml);
    assert.equal(transfersOf(xml).length, 50);
    assert.match(xml, /<NbOfTxs>50<\/NbOfTxs>/);
    assert.match(xml, new RegExp(`<CtrlSum>${(50 * 1_000 + 1_225) / 100}</CtrlSum>`));
  });

  it('names are cut at the 70 characters SEPA allows (the schema: 140), remittance text at the 140 of Ustrd', async () => {
    const long = 'Very Long Supplier Name With Many Words GmbH und Compagnie Kommanditgesellschaft ' + 'X'.repeat(120);
    const numbers = Array.from({ length: 60 }, (_, i) => `2026-LONG-INVOICE-NUMBER-${i}`);
    const xml = sepaXml(
      batch([transfer(1, { vendorName: long, invoiceNumbers: numbers })], {
        debtor: { name: long, iban: IBANS[0]!, bic: null },
      }),
    );
    await assertValidPain001(xml);
    const [tx] = transfersOf(xml);
    assert.equal(((tx!.Cdtr as Node).Nm as string).length, 70);
    assert.ok(((tx!.RmtInf as Node).Ustrd as string).length <= 140);
    assert.ok(((tx!.RmtInf as Node).Ustrd as string).startsWith('Invoices 2026-LONG-INVOICE-NUMBER-0, '));
  });

  it('non-ASCII names are written in the SEPA Latin set; a name with no Latin letter at all is refused, not invented', async () => {
    const names = [
      'Café Zürich Straße',
      'Łódź Dostawy Sp. z o.o.',
      'Ελληνική Εταιρεία Alpha',
      '北京贸易 Beijing Trading',
      'Ærø Fisk & Søn',
    ];
    const xml = sepaXml(batch(names.map((vendorName, i) => transfer(i, { vendorName }))));
    await assertValidPain001(xml);
    assert.deepEqual(
      transfersOf(xml).map((x) => (x.Cdtr as Node).Nm),
      ['Cafe Zurich Strasse', 'Lodz Dostawy Sp. z o.o.', 'Alpha', 'Beijing Trading', 'AEro Fisk + Son'],
    );
    assert.throws(
      () => sepaXml(batch([transfer(1, { vendorName: '株式会社' })])),
      /name in the SEPA Latin character set/,
    );
  });

  it('the largest amounts the app allows: 1,000 of the largest invoices, as 1,000 transfers or one', async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => transfer(i, { amountMinor: String(MAX_INVOICE_MINOR) }));
    const xml = sepaXml(batch(many));
    await assertValidPain001(xml);
    assert.match(xml, /<CtrlSum>9999999999999990\.00<\/CtrlSum>/, '18 digits, the most CtrlSum holds');
    assert.equal(((transfersOf(xml)[0]!.Amt as Node).InstdAmt as Node)['#'], '9999999999999.99');
    const one = sepaXml(batch([transfer(1, { amountMinor: String(MAX_INVOICE_MINOR * 1_000n) })]));
    await assertValidPain001(one);
    assert.equal(MAX_INVOICE_MINOR * 1_000n <= SEPA_MAX_MINOR, true);
    assert.throws(
      () => sepaXml(batch([transfer(1, { amountMinor: String(SEPA_MAX_MINOR + 1n) })])),
      /beyond the 18 digits/,
    );
    await assertValidPain001(sepaXml(batch([transfer(1, { amountMinor: '1' })])));
  });

  it('a copy of a paid payout’s file still validates, says COPY at the top and keeps the MsgId', async () => {
    const note =
      'COPY of the payment file of payout PO-20261123-7F3A, already paid on 2026-11-25 (bank reference A--B). Do not send it to the bank.';
    const xml = sepaXml(batch([transfer(1)], { copyNote: note }));
    await assertValidPain001(xml);
    assert.match(xml, /^<\?xml[^>]*\?>\s*<!-- COPY of the payment file of payout PO-20261123-7F3A, already paid/);
    assert.ok(xml.includes('(bank reference A-B)'), 'no "--" inside the comment');
    assert.match(xml, /<MsgId>PO-20261123-7F3A<\/MsgId>/);
  });
});

describe('SEPA text and files', () => {
  it('names are restricted to the SEPA Latin character set and cut at the limit', () => {
    assert.equal(sepaText('Müller & Söhne', 70), 'Muller + Sohne');
    assert.equal(sepaText('Straße Øresund Æble', 70), 'Strasse Oresund AEble');
    assert.equal(sepaText('Café "Zürich" <b>№1</b>', 70), "Cafe 'Zurich' b 1 /b");
    assert.equal(sepaText('株式会社 Tokyo', 70), 'Tokyo');
    assert.equal(sepaText('A'.repeat(100), 70).length, 70);
  });

  it('the file adds up exactly (no floats) and the remittance text stays within 140 characters', async () => {
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
    await assertValidPain001(xml);
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
