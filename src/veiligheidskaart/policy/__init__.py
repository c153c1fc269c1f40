"""Policy: priorities, goals, actions, the actieplan and the stadsdeelagenda's."""
