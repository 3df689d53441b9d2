"""The deals app's writes, one module per part of the story. Every service takes the actor, checks
its rules, writes its history row in the same transaction (see history.py) and is shared by pages,
API and commands."""
