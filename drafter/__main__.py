from drafter.cli import app

app(prog_name="drafter")
