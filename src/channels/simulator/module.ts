import { simulatorMessageModel } from '../../db/models/simulator-message.js';
import type { ChannelModule } from '../module.js';
import { previewSimulator, renderSimulator, SimulatorChannel, SIMULATOR_LIMITS } from './simulator-channel.js';

/** The browser chat simulator: on in development, or with SIMULATOR_ENABLED=true. */
export const simulatorModule: ChannelModule = {
  name: 'simulator',
  renderer: {
    name: 'simulator',
    limits: SIMULATOR_LIMITS,
    render: (_chatId, message) => renderSimulator(message),
    preview: previewSimulator,
  },
  create: ({ config, connection, engine, logger }) =>
    config.simulatorEnabled ? new SimulatorChannel(engine, simulatorMessageModel(connection), logger) : null,
};
