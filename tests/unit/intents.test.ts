import { beforeAll, describe, expect, it } from 'vitest';
import { Translator } from '../../src/i18n/i18n.js';
import { IntentVocabulary } from '../../src/engine/intents.js';

const FLOWS = ['payment-status', 'register-cashless', 'report-fraud', 'fraud-tips', 'my-data', 'settings', 'language', 'link-self', 'link-relative'];

describe('intent vocabulary (locales/*/intents.json)', () => {
  let vocab: IntentVocabulary;
  beforeAll(async () => {
    vocab = new IntentVocabulary(await Translator.create(), FLOWS);
  });

  it('understands what people type, with or without diacritics and case', () => {
    expect(vocab.match('Lương tháng này', false)).toEqual({ kind: 'flow', flow: 'payment-status' });
    expect(vocab.match('luong thang nay', false)).toEqual({ kind: 'flow', flow: 'payment-status' });
    expect(vocab.match('toi muon doi sang nhan qua ngan hang', false)).toEqual({ kind: 'flow', flow: 'register-cashless' });
    expect(vocab.match('ĐỔI SANG NGÂN HÀNG', false)).toEqual({ kind: 'flow', flow: 'register-cashless' });
    expect(vocab.match('Báo lừa đảo!', false)).toEqual({ kind: 'flow', flow: 'report-fraud' });
    expect(vocab.match('gọi tổng đài', false)).toEqual({ kind: 'hotline' });
    expect(vocab.match('Quay lại', false)).toEqual({ kind: 'back' });
    expect(vocab.match('quay lai a', true)).toEqual({ kind: 'back' });
    expect(vocab.match('go back', false)).toEqual({ kind: 'back' });
    expect(vocab.match('doi ngon ngu', false)).toEqual({ kind: 'flow', flow: 'language' });
  });

  it('on a free-text step takes only a whole phrase, so a story or a name stays what it is', () => {
    expect(vocab.match('toi muon bao lua dao', true)).toEqual({ kind: 'flow', flow: 'report-fraud' });
    expect(vocab.match('co nguoi goi dien noi bao lua dao roi doi tien', true)).toBeUndefined();
    expect(vocab.match('co nguoi goi dien noi bao lua dao roi doi tien', false)).toEqual({ kind: 'flow', flow: 'report-fraud' });
    expect(vocab.match('Nguyễn Văn An', true)).toBeUndefined();
    expect(vocab.match('1234567890', true)).toBeUndefined();
  });

  it('takes "quay lại" only as the whole message', () => {
    expect(vocab.match('quay lai ngan hang cu', false)).toBeUndefined();
    expect(vocab.match('', false)).toBeUndefined();
  });
});
