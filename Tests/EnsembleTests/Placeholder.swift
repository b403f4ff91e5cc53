// Placeholder until the module's first tests land.
