from dashboard.views.articles import render

render()
