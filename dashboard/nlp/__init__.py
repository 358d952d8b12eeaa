"""Enrichment: entities, quotes and topics. Plain Python and scikit-learn/spaCy; never Streamlit."""
