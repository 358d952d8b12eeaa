"""Newsdesk: `streamlit run app.py`."""

from dashboard.views.shell import main

main()
