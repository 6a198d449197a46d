import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TEST_PII_ENV } from '../support/keys.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/test', ...TEST_PII_ENV };
const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.defaultLocale).toBe('vi');
    expect(config.telegram).toBeUndefined();
    expect(config.simulatorEnabled).toBe(true);
  });
  it('names the variable on a bad PORT, on one line', () => {
    const message = error({ ...base, PORT: 'eighty' });
    expect(message).toMatch(/^Invalid configuration: PORT: /);
    expect(message).not.toContain('\n');
    expect(error({ ...base, PORT: '70000' })).toContain('PORT');
  });
  it('requires MONGODB_URI and the PII keys', () => {
    expect(error({ ...TEST_PII_ENV })).toMatch(/MONGODB_URI: required/);
    expect(error({ MONGODB_URI: base.MONGODB_URI })).toMatch(/PII_ENCRYPTION_KEYS: required/);
  });
  it('parses per-province payment days', () => {
    expect(loadConfig({ ...base, PAYMENT_DAYS: 'default:5,08:10' }).payments.paymentDays).toEqual({ default: 5, '08': 10 });
    expect(error({ ...base, PAYMENT_DAYS: 'soon' })).toContain('PAYMENT_DAYS');
  });
  it('parses cashless targets in percent, defaulting to the provincial plans', () => {
    expect(loadConfig(base).cashlessTargets).toEqual({ overall: 50, pension: 50, lump_sum: 98, unemployment: 100 });
    expect(loadConfig({ ...base, CASHLESS_TARGETS: 'overall:62.5,merit:80' }).cashlessTargets).toEqual({ overall: 62.5, merit: 80 });
    expect(error({ ...base, CASHLESS_TARGETS: 'overall:120' })).toMatch(/^Invalid configuration: CASHLESS_TARGETS: a percentage must be at most 100$/);
    expect(error({ ...base, CASHLESS_TARGETS: 'pensions:50' })).toContain('CASHLESS_TARGETS: expected benefit:percent pairs');
  });
  it('turns the console idle timeout into milliseconds', () => {
    expect(loadConfig(base).consoleIdleMs).toBe(30 * 60_000);
    expect(loadConfig({ ...base, CONSOLE_IDLE_MINUTES: '5' }).consoleIdleMs).toBe(5 * 60_000);
    expect(error({ ...base, CONSOLE_IDLE_MINUTES: '0' })).toContain('CONSOLE_IDLE_MINUTES');
  });
  it('requires the webhook secret in webhook mode', () => {
    expect(error({ ...base, TELEGRAM_BOT_TOKEN: '123:abc' })).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(error({ ...base, TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MODE: 'webhook' })).toContain('TELEGRAM_WEBHOOK_SECRET');
  });
  it('accepts polling without a secret and points telegraf at TELEGRAM_API_ROOT', () => {
    const config = loadConfig({ ...base, TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: 'http://127.0.0.1:9999' });
    expect(config.telegram).toMatchObject({ mode: 'polling', apiRoot: 'http://127.0.0.1:9999' });
  });
  it('rejects an unknown mode and a mode without a token', () => {
    expect(error({ ...base, TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MODE: 'push' })).toContain('TELEGRAM_MODE');
    expect(error({ ...base, TELEGRAM_MODE: 'polling' })).toContain('TELEGRAM_BOT_TOKEN');
  });
  it('keeps the simulator off in production unless enabled', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SIMULATOR_ENABLED: 'true' }).simulatorEnabled).toBe(true);
  });
  it('reads TRUST_PROXY as a hop count, a boolean or addresses', () => {
    expect(loadConfig(base).trustProxy).toBe('loopback');
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(error({ ...base, TRUST_PROXY: 'everyone' })).toContain('TRUST_PROXY');
  });
  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base, PORT: '', TELEGRAM_BOT_TOKEN: '' }).port).toBe(3000);
  });
});
