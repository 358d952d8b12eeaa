"""Streamlit pages: widgets and calls into views.data and charts only (no SQL, no NLP)."""
