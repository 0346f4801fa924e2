/**
 * What Use Simulated / Use Configured Endpoints tells the user: where the next run's requests
 * go. Without a configuration file there are no configured endpoints to switch to, and runs
 * stay on the simulator whatever the setting says, so the message must not claim otherwise.
 */
export function endpointChoiceMessage(useSimulator: boolean, config: { path: string; exists: boolean }): string {
  if (useSimulator) return 'TOA Studio: runs use the built-in simulated endpoints.';
  if (!config.exists) return `TOA Studio: there is no ${config.path}, so runs still use the built-in simulated endpoints. Create ${config.path} to name your own agents and reward model.`;
  return `TOA Studio: runs use the endpoints of ${config.path}.`;
}
