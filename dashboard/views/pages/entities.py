from dashboard.views.entities import render

render()
